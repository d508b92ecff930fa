"""The hostile-input generator itself: enough payloads, each able to prove its own evaluation."""

from __future__ import annotations

from pathlib import Path

from hostile import all_payloads, cli_argvs, scenario_documents, template_payloads, xss_payloads


def test_there_are_at_least_30_template_and_xss_payloads() -> None:
    assert len(template_payloads()) >= 20 and len(xss_payloads()) >= 20
    assert len({p.text for p in all_payloads()}) == len(all_payloads()) >= 40


def test_no_payload_contains_what_it_would_evaluate_to() -> None:
    # Otherwise finding the evaluated text in a page would prove nothing.
    assert [p.text for p in all_payloads() if p.evaluated and p.evaluated in p.text] == []


def test_every_xss_payload_would_announce_itself_if_run() -> None:
    loud = [p.text for p in xss_payloads() if "__xss" in p.text or "127.0.0.1:9" in p.text]
    assert len(loud) == len(xss_payloads())


def test_files_and_command_lines_are_generated_fresh(tmp_path: Path) -> None:
    assert len(dict(scenario_documents(tmp_path))) >= 20
    assert len(cli_argvs(tmp_path)) >= 50
