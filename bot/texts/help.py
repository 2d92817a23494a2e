"""User-facing texts: the greeting on /start and the help, for each role; the help of a group chat."""

# /start (Telegram), opening the app (WeCom): by name and role, then what this role can do
START_GREETING = "您好，{name}（{bureau}{role}）。我是“回头看”检查助手。"
WELCOME_HINT = ("当前行动：{campaign}（{start} 至 {end}）。\n"
                "回复“开始检查”开始一次检查；回复“帮助”查看您可用的指令。")
# The help is these parts, the ones for the member's role, in this order.
HELP_INSPECTOR = ("可用指令：\n"
                  "• 开始检查（/inspect）：按检查表逐项检查\n"
                  "• 我的检查（/mine）：草稿和已提交的检查\n"
                  "• 继续 [编号]（/resume）：继续暂停的检查\n"
                  "• 修正 编号（/amend）：修改已提交的检查（需写明原因）\n"
                  "• 整改 编号 / 复查 编号 / 整改单：下达整改、现场复查、未结整改单\n"
                  "• 导出 编号 / 典型案例：检查表、典型案例\n"
                  "检查中随时可用：上一步、跳过、修改 2.3、进度、暂停、取消、帮助；"
                  "照片、语音和视频可随时发送留证。")
HELP_OVERSEER = ("审核与督查：\n"
                 "• 待审核（/pending）/ 审核 编号（/review）：查看问题、证书登记和照片后通过或退回\n"
                 "• 核实 编号 说明：关闭需关注事项\n"
                 "• 报告 / 导出 表格：书面报告、汇总表")
HELP_ADMIN = "管理员：在群里发送 /bind 单位名称，把群绑定到本局（接收每日汇总）。"
HELP_CAMPAIGN = "当前行动：{campaign}，{start} 至 {end}{status}。"
# A group chat: with Telegram's privacy mode the bot sees only /commands there, so only those.
GROUP_HELP = ("群里可用（请发送带 / 的指令）：\n"
              "• /progress：本群所属单位的进度\n"
              "• /progress 泽州县：某县（市、区）的进度\n"
              "• /city：全市进度\n"
              "• /bind 单位名称：把本群绑定到单位（管理员）\n"
              "检查、审核请私聊我。")
