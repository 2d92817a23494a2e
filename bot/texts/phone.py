"""User-facing texts: voice messages and videos as evidence (bot/recordings.py, conversations/evidence.py),
and small things met on a phone."""

RECORDING_SAVED = "{icon} {what}已保存到 {id}（{counts}）。"
RECORDING_ICONS = {"voice": "🎤", "video": "🎬"}
RECORDING_WHAT = {"voice": "语音", "video": "视频"}
RECORDING_COUNTS = {"voice": "语音 {n} 条", "video": "视频 {n} 段"}
RECORDING_TOO_BIG = "{what}太大（超过 {mb} MB），未保存。请缩短后重发，或分几段发送。"
RECORDING_UNKNOWN = "无法识别这个{what}文件，未保存。请直接用{what}功能录制后发送。"
RECORDING_DOWNLOAD_FAILED = "{what}下载失败（网络问题），未保存。请重发。"
RECORDING_STORE_DOWN = "存储暂时不可用，这条{what}未保存。检查可以继续，请稍后重发。"
RECORDING_OUTSIDE_FLOW = "语音和视频要在检查中发送才能归档。回复“开始检查”或“继续”。"
RECORDING_NOT_HERE = "这一步还不能存证。照片、语音和视频请在逐项检查开始后发送。"
EVIDENCE_AT_REVIEW = "要给某一项补充照片、语音或视频，请先回复“修改 1.2”这样的编号，再发送。"
# A voice message at the note step: kept as the spoken note; a written line is still asked for
SPOKEN_NOTE_CAPTION = "语音说明"
SPOKEN_NOTE_SAVED = ("🎤 语音说明已保存到 {id}。请再用一行文字概括发现的问题（必填，"
                     "检查表和统计用文字）：")
# Where evidence goes that belongs to no single requirement
REQUIREMENT_LABELS = {"cert": "证书登记", "signature": "签字页"}
RECORDING_LINE = "{req} {what}{spoken}"
RECORDING_SPOKEN = "（含语音说明）"
DOC_RECORDINGS = "{what}（存于证据库）"

# ---- small things
EMPTY_OUTSIDE_FLOW = "没有收到内容。回复“开始检查”开始检查，或回复“帮助”查看可用指令。"
CONSOLE_FILE_USAGE = "用法：{command} 文件路径 [说明]，例如 {command} ~/照片/培训计划.jpg 2023年度培训计划"
CHOICE_OUT_OF_RANGE_ONE = "没有这个选项。请回复“{label}”。"
CHOICE_UNKNOWN_ONE = "请回复“{label}”。"
