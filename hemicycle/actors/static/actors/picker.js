// Actor pickers (templates/actors/_picker.html): a result ticked moves to the chosen list,
// so that a new search does not drop it. Radio pickers keep one choice only.
document.addEventListener("change", (event) => {
  const input = event.target;
  const picker = input.closest("[data-picker]");
  if (!picker || !input.name || input.name === "picker_q") return;
  const chosen = picker.querySelector(".picker-chosen");
  const item = input.closest("li");
  if (!input.checked || !item || item.parentElement === chosen) return;
  if (input.type === "radio") chosen.replaceChildren();
  input.type = "checkbox";
  input.checked = true;
  chosen.appendChild(item);
});
