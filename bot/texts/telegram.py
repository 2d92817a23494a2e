"""User-facing texts: telegram (buttons, group binding)."""

# ---- buttons
TG_CHOSEN = "{text}\n\n✅ 已选：{label}"
# the location step: a keyboard button that shares the phone's location
TG_SHARE_LOCATION = "📍 发送当前定位"
TG_LOCATION_STEP_DONE = "定位这一步已完成。"
# A press that was not taken is answered by a pop-up (Telegram: at most 200 characters), not by
# a chat message; the console prints it as a line.
PRESS_STALE = "这个按钮已失效（它的问题已回答过或已更新），未记录。请回答最新的问题。"
PRESS_NOT_TAKEN = "这次选择未记录，原因见下方消息。"
PRESS_RESTORED = "系统刚重启过，这次按键未记录。请按下面的问题重新回答。"

# ---- group binding (/bind 泽州县, sent in a group)
GROUP_BIND_DONE = "本群已绑定到{bureau}。督查负责人可在群里查询进度，每日汇总将发到本群。检查记录只在私聊中处理。"
GROUP_BIND_ADMIN_ONLY = "抱歉，只有管理员可以绑定群聊。请联系本局管理员。"
GROUP_BIND_OTHER_BUREAU = "抱歉，您只能把群聊绑定到本局（{own}），不能绑定{bureau}。市局管理员可以绑定任何单位。"
GROUP_BIND_USAGE = "用法：/bind 单位名称，例如 /bind 泽州县"
GROUP_BIND_UNKNOWN = "没有找到“{name}”。可绑定：{names}"

# ---- the command menus (setMyCommands): descriptions by scope
TG_COMMANDS = {
    "private": {"inspect": "开始检查", "mine": "我的检查", "resume": "继续暂停的检查", "pending": "待审核的检查",
                "review": "审核检查（/review 编号）", "progress": "进度", "report": "书面报告", "help": "帮助"},
    "group": {"progress": "本群单位的进度（/progress 泽州县：某县）", "city": "全市进度",
              "bind": "把本群绑定到单位（管理员，/bind 泽州县）", "help": "群里可用的指令"},
}
