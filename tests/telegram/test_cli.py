"""`inspector-bot telegram` as an operator runs it: long polling against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.telegram.fake_api import TOKEN, FakeBotAPI

CLI = [sys.executable, "-m", "bot.cli"]
USER = 424242


def env(**values: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    clean.update(values)
    return clean


def wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the bot exited early: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}: {proc.communicate()}")
        time.sleep(0.05)


def test_missing_token_exits_2(tmp_path: Path):
    proc = subprocess.run(CLI + ["telegram"], cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "TELEGRAM_TOKEN" in proc.stderr


def test_polling_answers_messages_and_presses_and_stops_on_ctrl_c(tmp_path: Path, fake_api: FakeBotAPI):
    org = tmp_path / "org.yaml"
    org.write_text(f"members:\n  - {{name: 李明, bureau: 泽州县, role: inspector, telegram: {USER}}}\n",
                   encoding="utf-8")
    imported = subprocess.run(CLI + ["org", "import", str(org)], cwd=tmp_path, env=env(), capture_output=True,
                              text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    fake_api.webhook = {"url": "https://old.example.org/hook"}  # left over: polling must remove it
    fake_api.queue(fake_api.text_update(USER, "李明", "开始检查"))
    fake_api.queue(fake_api.text_update(USER, "李明", "泽州县巴公煤业有限公司"))

    proc = subprocess.Popen(CLI + ["telegram", "--no-jobs"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=env(INSPECTOR_BOT_TELEGRAM_TOKEN=TOKEN, INSPECTOR_BOT_TELEGRAM_API_BASE=fake_api.base))
    try:
        wait_for(lambda: any(s.reply_markup for s in fake_api.sent_after(0)), "the first question", proc)
        texts = [s.text for s in fake_api.sent_after(0)]
        assert "被检查单位名称" in texts[0] and "新建这个单位" in texts[1]
        question = fake_api.last_keyboard(USER)
        press = fake_api.callback_update(USER, "李明", question, question.button("新建：泽州县巴公煤业有限公司")
                                         ["callback_data"])
        fake_api.queue(press)
        wait_for(lambda: any("属于哪个行业" in s.text for s in fake_api.sent_after(question.message_id)),
                 "the answer to the press", proc)
        # handled: the poller asked for what comes next (a Ctrl-C before that leaves it to be fetched again)
        wait_for(lambda: fake_api.confirmed > press["update_id"], "the press to be confirmed", proc)
        assert fake_api.calls_of("answerCallbackQuery")[0]["callback_query_id"] == press["callback_query"]["id"]
        assert fake_api.sent[question.message_id].text.endswith("已选：新建：泽州县巴公煤业有限公司")
        assert "deleteWebhook" in fake_api.methods() and not fake_api.webhook
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    # nothing was fetched that was not handled; nothing handled will be fetched again
    assert fake_api.confirmed == press["update_id"] + 1 and fake_api.updates == []
    assert os.path.exists(tmp_path / "data" / "inspector.db")


def test_set_webhook_registers_the_url_with_the_secret(tmp_path: Path, fake_api: FakeBotAPI):
    settings = dict(INSPECTOR_BOT_TELEGRAM_TOKEN=TOKEN, INSPECTOR_BOT_TELEGRAM_API_BASE=fake_api.base)
    url = "https://bot.example.org/telegram/webhook"
    proc = subprocess.run(CLI + ["telegram", "set-webhook", url], cwd=tmp_path, capture_output=True, text=True,
                          env=env(**settings), timeout=60)
    assert proc.returncode == 2 and "WEBHOOK_SECRET" in proc.stderr and not fake_api.webhook
    settings["INSPECTOR_BOT_TELEGRAM_WEBHOOK_SECRET"] = "s3cret"
    proc = subprocess.run(CLI + ["telegram", "set-webhook", url], cwd=tmp_path, capture_output=True, text=True,
                          env=env(**settings), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (fake_api.webhook["url"], fake_api.webhook["secret_token"]) == (url, "s3cret")
