"""`inspector-bot wecom menu`: installs the app menu on the (fake) WeCom server."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import main
from handlers.root import MENU_KEYS
from tests.wecom.fake_wecom import AGENT_ID, CORP_ID, SECRET


def env_for(fake) -> dict[str, str]:
    return {"INSPECTOR_BOT_WECOM_CORP_ID": CORP_ID, "INSPECTOR_BOT_WECOM_SECRET": SECRET,
            "INSPECTOR_BOT_WECOM_AGENT_ID": AGENT_ID, "INSPECTOR_BOT_WECOM_API_BASE": fake.url,
            "INSPECTOR_BOT_REDIS_URL": ""}


def test_menu_is_installed_with_the_menu_keys(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env
    result = CliRunner().invoke(main, ["wecom", "menu"], env=env_for(fake))
    assert result.exit_code == 0, result.output
    assert "已安装" in result.output
    [call] = fake.sent("menu/create")
    assert call.query["agentid"] == AGENT_ID and fake.token_fetches == 1
    buttons = call.body["button"]
    assert len(buttons) <= 3  # WeCom's limit of top-level buttons
    clicks = [b for top in buttons for b in top.get("sub_button", [top])]
    assert {b["key"]: b["name"] for b in clicks} == MENU_KEYS
    assert all(b["type"] == "click" for b in clicks)


def test_menu_without_wecom_settings_exits_2(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {**env_for(fake), "INSPECTOR_BOT_WECOM_SECRET": ""}
    result = CliRunner().invoke(main, ["wecom", "menu"], env=env)
    assert result.exit_code == 2
    assert "INSPECTOR_BOT_WECOM_SECRET" in result.output
    assert fake.calls == [] and fake.token_fetches == 0
