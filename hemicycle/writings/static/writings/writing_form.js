// The writing form shows only the fields of the chosen kind (amendment, minutes…);
// without JavaScript every field stays visible and the server empties the unused ones.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.querySelector(".writing-form select[name=kind]");
  if (!kind) return;
  const update = () => {
    document.querySelectorAll(".writing-form [data-kinds]").forEach((el) => {
      el.hidden = !el.dataset.kinds.split(" ").includes(kind.value);
    });
  };
  kind.addEventListener("change", update);
  update();
});
