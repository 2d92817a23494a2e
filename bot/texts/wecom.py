"""User-facing texts: wecom (numbered choices, app menu, the `wecom` command)."""

# ---- choices: WeCom apps have no reply keyboard, the options are numbered lines
WECOM_CHOICES_HINT = "（回复序号或选项文字）"
# ---- choices as template cards (buttons): the tapped card's buttons become one grey button
WECOM_CARD_TAP = "请点下面的按钮作答（也可回复选项文字）"
WECOM_CARD_CHOSEN = "已选：{label}"
WECOM_CARD_VOID = "已失效，未记录"

# ---- app menu (`inspector-bot wecom menu`); the click keys come from handlers.root.MENU_KEYS
WECOM_MENU_MORE = "更多"
WECOM_MENU_INSTALLED = "企业微信应用菜单已安装（应用 {agent_id}）：{labels}"
WECOM_NOT_CONFIGURED = ("未配置企业微信应用：请设置 INSPECTOR_BOT_WECOM_CORP_ID、INSPECTOR_BOT_WECOM_SECRET "
                        "和 INSPECTOR_BOT_WECOM_AGENT_ID（数字）。")
WECOM_MENU_FAILED = "企业微信拒绝了菜单：{error}"
