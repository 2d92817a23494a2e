"""User-facing texts: the system's own state."""

STATE_DEGRADED = "（提示：系统缓存暂时不可用，回复可能稍慢；您的每个回答照常保存在数据库，不会丢失。）"
MESSAGE_LATE = ("⚠️ 您之前发的「{text}」比后发的消息晚到，没有记录（以免记到别的问题上）。"
                "如仍需要，请对照上面最新的问题重新回复。")
REPLIES_GIVEN_UP = ("⚠️ 系统提示：有 {n} 条消息超过 {hours:.0f} 小时仍未能发出（平台不可用或被限流），"
                    "已停止重试并记录。请检查企业微信/Telegram 的连接和配置。")
