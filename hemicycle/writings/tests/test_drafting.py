"""The optional drafting help, against a local HTTP server speaking the OpenAI chat API
(``POST /v1/chat/completions``), and its failures (401, 429, 500, timeout, refused)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from hemicycle.writings import drafting, llm, services
from hemicycle.writings.models import DraftProposal, Note, Writing

PROPOSAL = "## Enjeux\n\nL’enveloppe AIL de Lille-3 (87 458 €) finance trois associations."


class FakeLLM(BaseHTTPRequestHandler):
    """Answers like an OpenAI-compatible server; ``server.reply`` picks the behaviour."""

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body,
                                     "authorization": self.headers.get("Authorization")})
        status, payload = self.server.reply
        if status == "slow":
            self.server.release.wait(10)  # answers only once the test gave up
            status = 200
        if status == 200 and payload is None:
            payload = {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": PROPOSAL}}],
                       "usage": {"prompt_tokens": 10, "completion_tokens": 20,
                                 "total_tokens": 30}}
        data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    server.requests, server.reply, server.release = [], (200, None), threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HEMICYCLE_LLM_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.HEMICYCLE_LLM_MODEL = "mistral-small"
    settings.HEMICYCLE_LLM_API_KEY = "sk-test"
    settings.HEMICYCLE_LLM_TIMEOUT = 5
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


def test_the_help_is_off_without_settings(settings, sam_client, sam, report):
    settings.HEMICYCLE_LLM_URL = ""
    writing = services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                                      title="Intervention", report=report)
    assert not drafting.drafting_enabled()
    assert sam_client.get(url("note-draft", report)).status_code == 404
    assert sam_client.get(url("writing-draft", writing)).status_code == 404
    assert "Proposer un brouillon" not in sam_client.get(url("note-edit", report)).content.decode()
    page = sam_client.get(url("writing-detail", writing)).content.decode()
    assert "Proposer un brouillon" not in page


def test_the_page_shows_the_exact_prompt_and_source_before_anything_is_sent(
        llm_server, sam_client, report):
    page = sam_client.get(url("note-edit", report)).content.decode()
    assert reverse("writings:note-draft", args=[report.workspace.slug, report.code]) in page
    response = sam_client.get(url("note-draft", report))
    text = response.content.decode()
    assert "Rédige une note d’analyse du rapport ci-dessous" in text
    assert "Rapport : DAT/2024/112 — Actions d" in text
    assert "l&#x27;enveloppe s&#x27;élève à 87 458 € en 2024" in text  # the source text
    assert f"{llm_server.server_address[1]}/v1/chat/completions" in text
    assert llm_server.requests == []  # nothing sent yet


def test_a_staff_member_gets_a_proposal_for_a_note_and_inserts_it_without_overwriting(
        llm_server, sam_client, sam, report, django_capture_on_commit_callbacks):
    services.note_save(report=report, by=sam, body="Mon analyse à moi.", status="draft")
    shown = drafting.note_draft_messages(report, Note.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url("note-draft", report))
    proposal = DraftProposal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/brouillon/{proposal.code}/")
    # exactly what the page showed, to the documented endpoint, with the key
    [sent] = llm_server.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "mistral-small" and sent["body"]["messages"] == shown
    assert sent["authorization"] == "Bearer sk-test"
    assert proposal.status == "done" and proposal.result == PROPOSAL
    page = sam_client.get(url("draft-detail", proposal)).content.decode()
    assert "L’enveloppe AIL de Lille-3 (87 458 €) finance trois associations." in page
    assert Note.objects.get().body == "Mon analyse à moi."  # nothing overwritten
    edit = sam_client.get(url("note-edit", report) + f"?brouillon={proposal.code}")
    body = edit.context["form"]["body"].value()
    assert body.startswith("Mon analyse à moi.") and body.endswith(PROPOSAL)
    assert Note.objects.get().body == "Mon analyse à moi."


def test_a_writing_gets_a_proposal_appended_to_its_edit_form(
        llm_server, sam_client, sam, report, django_capture_on_commit_callbacks):
    writing = services.writing_create(
        workspace=report.workspace, by=sam, kind="amendment", title="Amendement AIL",
        report=report, original_text="87 458 €", proposed_text="95 000 €", body="Motifs :")
    prompt = sam_client.get(url("writing-draft", writing)).content.decode()
    assert "Rédige l’exposé des motifs de l’amendement" in prompt and "95 000 €" in prompt
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url("writing-draft", writing))
    proposal = DraftProposal.objects.get()
    assert proposal.writing == writing and proposal.status == "done"
    edit = sam_client.get(url("writing-edit", writing) + f"?brouillon={proposal.code}")
    assert edit.context["form"]["body"].value() == "Motifs :\n\n" + PROPOSAL
    assert Writing.objects.get().body == "Motifs :"
    # a proposal for another text is not inserted here
    other = services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                                    title="Autre", body="Autre texte")
    edit = sam_client.get(url("writing-edit", other) + f"?brouillon={proposal.code}")
    assert edit.context["form"]["body"].value() == "Autre texte"


@pytest.mark.parametrize("status, message", [
    (401, "Le service de rédaction a refusé la clé d’accès (erreur 401)"),
    (429, "Le service de rédaction reçoit trop de demandes (erreur 429)"),
    (500, "Le service de rédaction est en panne (erreur 500)"),
])
def test_an_error_of_the_endpoint_is_told_in_french(
        llm_server, sam_client, report, status, message, django_capture_on_commit_callbacks):
    llm_server.reply = (status, {"error": {"message": "nope", "type": "error"}})
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url("note-draft", report))
    proposal = DraftProposal.objects.get()
    assert proposal.status == "failed" and proposal.error.startswith(message)
    page = sam_client.get(url("draft-detail", proposal)).content.decode()
    assert message in page.replace("&#x27;", "'")
    assert not Note.objects.exists()


def test_a_malformed_answer_is_an_error(llm_server):
    llm_server.reply = (200, {"choices": []})
    endpoint = llm.Endpoint(url=f"http://127.0.0.1:{llm_server.server_port}/v1", model="m")
    with pytest.raises(llm.LLMError) as error:
        llm.chat_complete(endpoint, [{"role": "user", "content": "?"}])
    assert error.value.code == "bad_response"


def test_an_unreachable_endpoint_is_an_error():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = llm.Endpoint(url=f"http://127.0.0.1:{port}/v1", model="m", timeout=2)
    with pytest.raises(llm.LLMError) as error:
        llm.chat_complete(endpoint, [{"role": "user", "content": "?"}])
    assert error.value.code == "connection"


def test_the_pending_proposal_is_polled_with_htmx(llm_server, sam_client, sam, report):
    proposal = drafting.draft_request(by=sam, messages=[{"role": "user", "content": "?"}],
                                      report=report)  # on_commit not run: still pending
    page = sam_client.get(url("draft-detail", proposal)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    fragment = sam_client.get(url("draft-detail", proposal), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip().startswith("<section")


def test_an_observer_cannot_ask_and_an_outsider_gets_404(
        llm_server, bob_client, charlie_client, sam, report):
    assert bob_client.get(url("note-draft", report)).status_code == 403
    assert charlie_client.post(url("note-draft", report)).status_code == 404
    proposal = drafting.draft_request(by=sam, messages=[], report=report)
    assert charlie_client.get(url("draft-detail", proposal)).status_code == 404
    assert llm_server.requests == []


def test_a_filed_writing_gets_no_draft(llm_server, sam_client, sam, workspace):
    writing = services.writing_create(workspace=workspace, by=sam, kind="motion", title="Vœu")
    services.writing_set_status(writing=writing, by=sam, status="final")
    services.writing_set_status(writing=writing, by=sam, status="filed")
    assert sam_client.post(url("writing-draft", writing)).status_code == 403
    assert not DraftProposal.objects.exists()


def test_a_silent_endpoint_times_out_with_a_clear_error(llm_server, settings):
    llm_server.reply = ("slow", None)
    settings.HEMICYCLE_LLM_TIMEOUT = 0.5
    endpoint = drafting._endpoint()
    with pytest.raises(llm.LLMError) as error:
        llm.chat_complete(endpoint, [{"role": "user", "content": "?"}])
    assert error.value.code == "timeout"
    assert drafting.error_message(error.value) == "Le service de rédaction n’a pas répondu à temps."
