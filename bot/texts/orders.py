"""User-facing texts: rectification orders, follow-up visits (复查), supervisor review."""

# ---- orders (责令限期改正)
ORDER_USAGE = "请写明检查编号，如“整改 12”。编号可在“我的检查”里查看。"
ORDER_NOT_YOURS = "检查 #{id} 不存在，或不是您参与的已提交检查。"
ORDER_NOTHING = "检查 #{id} 没有待下达整改的已确认问题。"
ASK_ORDER_DUE = ("下达整改 {i}/{n}：{desc}\n依据：{law}{article}\n措施：{measure}\n"
                 "整改期限？回复日期（如 2023-06-10）或天数（如“15天”）：")
ORDER_DUE_BAD = "期限要晚于检查日期 {visit}。请回复日期（如 2023-06-10）或天数（如“15天”）。"
ASK_ORDER_PENALTY = "是否同时罚款？回复“不罚款”，或“罚款 金额 决定书文号”，如：罚款 20000 晋应急罚〔2023〕12号"
ORDER_PENALTY_BAD = "没看懂罚款信息。请回复“不罚款”，或“罚款 20000 晋应急罚〔2023〕12号”（金额为整数元）。"
NO_PENALTY_LABEL = "不罚款"
ORDER_CREATED = "整改单 #{oid} 已下达：{desc}，期限 {due}，责任人 {person}{penalty}。"
ORDER_PENALTY_PART = "，罚款 {amount} 元（{decision}）"
ORDERS_DONE = "整改单已全部下达（{n} 份）。到期前 {days} 天和逾期时我会提醒您；复查时回复“复查 {iid}”。"
ORDERS_STOPPED = "已停止下达整改。已下达的 {n} 份保留；剩下的可再回复“整改 {iid}”。"
ORDERS_HELP = "正在下达整改单：按提示回复期限和罚款信息。“取消”停止（已下达的保留）。"
DAYS_SUFFIX = "天"

# ---- lists
ORDERS_LIST_HEAD = "未结整改单（{n} 份）："
ORDER_LINE = "#{oid} {name}：{desc}，期限 {due}{late}（检查 #{iid}）"
ORDER_LATE = "，已逾期 {days} 天"
NO_OPEN_ORDERS = "没有未结的整改单。"

# ---- reminders
REMIND_DUE_SOON = "提醒：整改单 #{oid}（{name}：{desc}）将于 {due} 到期。到期后请复查：回复“复查 {iid}”。"
REMIND_OVERDUE = "整改单 #{oid}（{name}：{desc}）已于 {due} 到期未复查。请尽快复查：回复“复查 {iid}”。"

# ---- follow-up visits (复查)
FOLLOWUP_USAGE = "请写明检查编号，如“复查 12”。"
FOLLOWUP_NOTHING = "检查 #{id} 没有未结的整改单，无需复查。"
ASK_FOLLOWUP = ("复查 {i}/{n}：整改单 #{oid}\n原问题：{desc}\n期限：{due}{late}\n"
                "现场是否已整改？可先发照片作证据。")
RECTIFIED_LABEL = "已整改"
NOT_RECTIFIED_LABEL = "未整改"
ASK_FOLLOWUP_NOTE = "请简要写明复查情况（看到了什么）："
FOLLOWUP_PHOTO = "复查照片已保存（共 {n} 张）。"
ORDER_RECTIFIED = "整改单 #{oid} 已整改，已销号。"
ORDER_ESCALATED = "整改单 #{oid} 逾期未改正，依法升级：{measure}"
ORDER_STILL_OPEN = "整改单 #{oid} 未到期限（{due}），继续整改；到期前会提醒。"
FOLLOWUP_DONE = "复查完成：检查 #{iid}，销号 {closed} 份，升级 {escalated} 份，仍在整改 {open} 份。"
FOLLOWUP_STOPPED = "已停止复查，已记录的结果保留。"
FOLLOWUP_HELP = "正在复查：回答“已整改”或“未整改”，可附照片。“取消”停止（已记录的保留）。"

# ---- supervisor review
REVIEW_NOT_ALLOWED = "只有本局的监督人员可以审核检查。"
REVIEW_NOTHING = "没有待审核的检查。"
REVIEW_LIST_HEAD = "待审核检查（{n} 份）："
REVIEW_LINE = "#{id} {name}（{bureau}，{date}，{who}）"
REVIEW_LIST_HINT = "回复“审核 编号”查看并审核。"
REVIEW_USAGE = "请写明检查编号，如“审核 12”。"
REVIEW_NOT_FOUND = "检查 #{id} 不存在、不在您的辖区，或还没提交。"
REVIEW_ALREADY = "检查 #{id} 已审核：{status}。"
REVIEW_ASK = "审核检查 #{id}（检查人员：{who}）：通过，或退回修改？"
# 审核 N on the phone: the notes, the register and the photos come before the question
REVIEW_FINDINGS_HEAD = "检查 #{id} 发现的问题（{n} 项）："
REVIEW_NO_FINDINGS = "检查 #{id} 未发现问题。"
REVIEW_FINDING_LINE = "{n}. {req} {text}"
REVIEW_NOTE_LINE = "· {req}（{verdict}）备注：{text}"
REVIEW_REGISTER_HEAD = "证书登记（{n} 人）："
REVIEW_REGISTER_LINE = "• {name} {position} {type} {number}，有效期至 {expiry}，平台{platform}，证件照片 {photos} 张"
REVIEW_REGISTER_NONE = "证书登记：没有登记人员。"
REVIEW_RECORDINGS = "语音和视频（已存证）：\n{lines}"
REVIEW_ALBUM = "{req} {text}（照片 {n} 张）"
REVIEW_ALBUM_CERT = "证件照片（{n} 张）"
REVIEW_ALBUM_SIGNATURE = "签字的检查表（{n} 张）"
REVIEW_PHOTOS_MORE = "另有 {n} 张照片未在此发送，见“导出 {id}”的检查表。"
REVIEW_NO_PHOTOS = "这次检查没有照片。"
APPROVE_LABEL = "通过"
RETURN_LABEL = "退回"
ASK_RETURN_REASON = "请写明退回原因（会发给检查人员）："
REVIEW_APPROVED = "检查 #{id} 已审核通过。"
REVIEW_RETURNED = "检查 #{id} 已退回：{reason}。检查人员会收到通知。"
NOTIFY_APPROVED = "您提交的检查 #{id}（{name}）已由 {reviewer} 审核通过。"
NOTIFY_RETURNED = "您提交的检查 #{id}（{name}）被 {reviewer} 退回：{reason}。请回复“修正 {id}”修改后再交。"
NOTIFY_RESUBMITTED = "检查 #{id}（{name}）已按退回意见修正，等待您再次审核：回复“审核 {id}”。"
REVIEW_STATUS_NAMES = {"approved": "已通过", "returned": "已退回", "resubmitted": "已修正待复审"}
REVIEW_OWN = "检查 #{id} 是您参与的检查，不能由您审核，请由本局其他监督人员审核。"
NOTIFY_AMENDED_AFTER_APPROVAL = ("已审核通过的检查 #{id}（{name}）被 {who} 修正（原因：{reason}），已回到待审核，"
                                 "请再次审核：回复“审核 {id}”。")
AMEND_BACK_TO_REVIEW = "检查 #{id} 此前已审核通过，修正后已回到待审核，审核人会收到通知。"
# 我的检查: a submitted inspection as its review left it (none yet: it stays 已提交).
MY_REVIEW_STATUS = {"approved": "已审核通过", "resubmitted": "已修正待复审"}
MY_RETURNED = "已退回：{reason}（回复“修正 {id}”修改后再交）"
REVIEW_HELP = "正在审核：回复“通过”或“退回”。“取消”结束审核，不做决定。"
REVIEW_STOPPED = "已结束审核，未做决定。"
