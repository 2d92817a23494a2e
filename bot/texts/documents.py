"""User-facing texts: documents (the filled checklist, the typical case, reports, spreadsheets) and the
typical-case conversation. Headings of the official forms are quoted from 晋市应急教发[2023]90号."""

# ---- 附件1: the filled checklist
DOC_ATTACHMENT_1 = "附件1"
DOC_UNIT = "被检查单位名称："
DOC_DATE = "检查日期："
DOC_DATE_VALUE = "{y} 年 {m} 月 {d} 日"
DOC_CHECKLIST_META = "行业：{industry}　检查单位：{bureau}　检查人员：{inspectors}"
DOC_DRAFT_MARK = "（草稿，尚未提交）"
DOC_COLUMNS = ["序号", "项目", "检查内容", "具体要求", "检查方式", "检查情况"]
DOC_VERDICTS = {"pass": "符合", "fail": "不符合", "na": "不适用"}
DOC_NOT_CHECKED = "未检查"
DOC_NOTE = "问题：{note}"
DOC_REMARK = "说明：{note}"
DOC_CONTRADICTION_TAIL = "，与上述发现不一致"
DOC_PHOTOS_COUNT = "照片 {n} 张"
DOC_FINDING = "发现：{description}"
DOC_BASIS = "依据：{citation}"
DOC_PHOTOS = "照片 {n} 张（见附件图 {refs}）"
DOC_REGISTER_REF = "已登记 {n} 人，见“三项岗位人员持证登记”"
DOC_REGISTER_TITLE = "三项岗位人员持证登记"
DOC_REGISTER_COLUMNS = ["序号", "姓名", "岗位", "证件类型", "证件编号", "有效期至", "平台查询", "核对情况"]
DOC_REGISTER_EMPTY = "本次检查未登记人员证书。"
DOC_PLATFORM = {True: "已查到", False: "未查到", None: "未查询"}
DOC_NO_EXPIRY = "长期"
DOC_CERT_OK = "未见问题"
DOC_FINDINGS_TITLE = "发现问题及处理依据"
DOC_FINDINGS_NONE = "本次检查未发现问题。"
DOC_FINDING_LINE = "{n}. {description}（{req}）依据：{citation}{decision}。"
DOC_FINDING_DECISION = "；处理：{decision}"
DOC_SIGN_INSPECTORS = "检查人员签字："
DOC_SIGN_UNIT = "被检查单位负责人签字："
DOC_SIGNED_PAGES = "（签字页照片见附件图 {refs}）"
DOC_SIGN_DATE = "日期："
DOC_SIGN_BLANK = "＿＿＿＿＿＿＿＿＿＿＿＿"
DOC_SIGN_DATE_BLANK = "　　　　年　　月　　日"
DOC_APPENDIX = "附：检查照片"
DOC_PHOTO_CAPTION = "图{n}　{where}{caption}（{who}，{at}）"
DOC_PHOTO_WHERE_REQ = "{id} {title}"
DOC_PHOTO_WHERE_CERT = "证件：{name}"
DOC_PHOTO_WHERE_SIGN = "签字页"
DOC_PHOTO_WHERE_FOLLOWUP = "复查：整改单 #{oid}"
DOC_PHOTO_MISSING = "图{n}　照片文件缺失（{sha}）"
DOC_ORDERS_TITLE = "整改单"
DOC_ORDER_COLUMNS = ["序号", "问题", "依据", "处理决定", "整改期限", "责任人", "状态"]
DOC_ORDERS_AS_OF = "（整改情况截至{day}）"
DOC_ORDER_PENALTY = "；罚款 {amount} 元（{decision}）"
DOC_ORDER_OPEN_LATE = "整改中，已逾期 {days} 天"
DOC_ORDER_CLOSED_ON = "{status}（{day}复查）"
DOC_FLAGS_APPENDIX = "附：证据核查需关注（{n} 项，供审核参考）"
DOC_FLAG_LINE = "{n}. {kind}：{reason}{photo}"
DOC_FLAG_PHOTO = "（见附件图 {refs}）"

# ---- 附件2: the typical case
DOC_ATTACHMENT_2 = "附件2"
DOC_CASE_TEMPLATE_TITLE = "安全生产典型执法案例"
DOC_CASE_HEADINGS = {
    "title": "【标题】", "keywords": "【关键词】", "gist": "【要旨】", "facts": "【基本案情】",
    "reasoning": "【查处理由及结果】", "commentary": "【案例评析】", "files": "【执法文书】",
    "officers": "【执法人员】",
}
DOC_CASE_OFFICER = "{n}. 姓名：{name}　执法证号：{badge_no}　联系方式：{contact}"
DOC_CASE_FILE_IMAGE = "文书{n}：{name}"
DOC_CASE_FILE_UNNAMED = "执法文书{n}"
DOC_CASE_FILE_PAGE = "{caption}（第 {k} 页，共 {n} 页）"
DOC_CASE_FILE_OTHER = "{caption}（{kind} 文件，未能在此显示，原件随本案例一并报送）"
DOC_CASE_NO_FILES = "（未附执法文书）"

# ---- reports
DOC_REPORT_TITLE = "{bureau}关于{campaign}督查检查书面情况"
DOC_SUMMARY_TITLE = "{bureau}{campaign}督查检查情况汇总"
DOC_REPORT_TO = "{to}："
DOC_FLAG_KINDS = {"photo_reused": "照片重复使用", "capture_time": "拍摄时间不符", "photo_location": "拍摄位置不符",
                  "too_fast": "答题过快", "cert_number_reused": "证书编号重复", "cert_expired": "证书已过期",
                  "cert_number_photo": "证书编号与照片不符"}
DOC_REPORT_INTRO = ("按照{doc_no}文件要求，{bureau}于 {start} 至 {end} 开展{campaign}督查检查，"
                    "共检查生产经营单位 {total} 家，其中计入本次行动的高危行业企业 {counted} 家（任务 {quota} 家）；"
                    "发现问题 {problems} 项，责令改正 {orders} 项，罚款 {fines} 元；完成典型案例 {cases} 个（任务 {case_quota} 个）；"
                    "证据核查需关注 {flags} 项。现将有关情况报告如下。")
DOC_SECTION_INDUSTRY = "一、检查企业情况（按行业）"
DOC_SECTION_PROBLEMS = "二、发现问题情况（按检查表项目）"
DOC_SECTION_PENALTIES = "三、行政处罚情况"
DOC_SECTION_CASES = "七、典型案例"
DOC_SECTION_TABLE = "八、检查明细"
DOC_SECTION_BUREAUS = "一、各单位完成情况"
DOC_INDUSTRY_COLUMNS = ["行业", "检查企业数", "计入任务数", "发现问题企业数", "问题数"]
DOC_PROBLEM_COLUMNS = ["序号", "项目", "具体要求", "不符合次数", "确认问题数"]
DOC_PENALTY_COLUMNS = ["序号", "被检查单位", "违法行为", "依据", "处理措施", "罚款（元）", "状态"]
DOC_PENALTY_NONE = "本期未作出行政处罚或责令改正。"
DOC_ORDER_STATUS = {"open": "整改中", "rectified": "已整改", "escalated": "逾期未改，已升级"}
DOC_SECTION_ORDERS = "四、整改复查情况"
DOC_ORDER_COUNT_COLUMNS = ["单位", "下达整改", "已整改销号", "逾期升级", "整改中", "其中逾期", "复查次数"]
DOC_ORDERS_SUMMARY = ("共下达整改单 {issued} 份，已整改销号 {rectified} 份，逾期未改正依法升级 {escalated} 份，"
                      "整改中 {open} 份（其中已逾期 {overdue} 份）；开展复查 {visits} 次，复查整改单 {checks} 份次。")
DOC_ORDERS_NONE = "本期未下达整改单。"
DOC_LATE_TITLE = "逾期及升级处理的整改单："
DOC_LATE_NONE = "无逾期未改正的整改单。"
DOC_LATE_COLUMNS = ["序号", "被检查单位", "问题", "依据", "整改期限", "情况", "处理措施"]
DOC_LATE_OPEN = "已逾期 {days} 天，未整改销号"
DOC_LATE_ESCALATED = "{day} 复查未整改，已升级"
DOC_SECTION_REVIEW = "五、审核情况"
DOC_REVIEW_COLUMNS = ["单位", "已提交检查", "审核通过", "退回修改", "待审核"]
DOC_REVIEW_SUMMARY = "已提交检查 {submitted} 份：审核通过 {approved} 份，退回修改 {returned} 份，待审核 {awaiting} 份（含修正后待复审）。"
DOC_SECTION_FLAGS = "六、需关注（证据核查）"
DOC_FLAG_COLUMNS = ["序号", "类型", "被检查单位", "检查日期", "情况"]
DOC_FLAG_COLUMNS_CITY = ["序号", "单位", "类型", "被检查单位", "检查日期", "情况"]
DOC_FLAGS_INTRO = "证据核查发现需关注的情况 {n} 项，请督查人员逐项核实："
DOC_FLAGS_NONE = "证据核查未发现需关注的情况。"
DOC_FLAGS_RESOLVED = "另有 {n} 项已由督查人员核实关闭。"
DOC_CASES_NONE = "本期尚未完成典型案例。"
DOC_CASE_LINE = "{n}. {title}（关键词：{keywords}）"
DOC_TABLE_COLUMNS = ["序号", "被检查单位", "行业", "检查日期", "检查人员", "问题数", "计入任务"]
DOC_TABLE_COLUMNS_CITY = ["序号", "单位", "被检查单位", "行业", "检查日期", "检查人员", "问题数", "计入任务"]
DOC_BUREAU_COLUMNS = ["单位", "检查企业数", "计入任务/任务数", "问题数", "罚款（元）", "典型案例/任务数"]
DOC_TOTAL = "合计"
DOC_YES = "是"
DOC_NO = "否"
DOC_NONE = "无"
DOC_OTHER_INDUSTRY = "其他行业"
DOC_SIGNED_BY = "{bureau}\n{date}"

# ---- spreadsheet
XLSX_SHEETS = {"summary": "汇总", "inspections": "检查", "answers": "检查情况", "findings": "问题", "certificates": "证书",
               "cases": "典型案例", "flags": "需关注", "orders": "整改"}
XLSX_INSPECTION_COLUMNS = ["检查编号", "检查单位", "被检查单位", "行业", "检查日期", "状态", "检查人员",
                           "被检查单位负责人", "提交时间", "计入任务", "问题数", "照片数", "审核", "需关注"]
XLSX_ANSWER_COLUMNS = ["检查编号", "被检查单位", "编号", "项目", "具体要求", "检查情况", "说明", "回答人", "回答时间"]
XLSX_FINDING_COLUMNS = ["检查编号", "检查单位", "被检查单位", "行业", "检查日期", "编号", "来源", "问题描述", "法律依据",
                        "是否确认"]
XLSX_FINDING_SOURCES = {"answer": "检查回答", "certificate": "证书核对"}
XLSX_CERT_COLUMNS = ["检查编号", "被检查单位", "姓名", "岗位", "证件类型", "证件编号", "有效期至", "平台查询", "登记状态"]
XLSX_CASE_COLUMNS = ["案例编号", "单位", "标题", "关键词", "状态", "关联检查", "完成时间"]
XLSX_STATUS = {"draft": "草稿", "submitted": "已提交", "cancelled": "已取消", "approved": "已审核",
               "finished": "已完成"}
XLSX_FLAG_COLUMNS = ["编号", "类型", "检查编号", "检查单位", "被检查单位", "检查日期", "情况", "相关检查",
                     "记录时间", "状态"]
XLSX_FLAG_OTHER = "#{id} {name}（{date}）"
XLSX_FLAG_STATE = {False: "待核实", True: "已关闭"}
XLSX_ORDER_COLUMNS = ["整改单编号", "检查编号", "检查单位", "被检查单位", "问题", "法律依据", "措施", "罚款（元）",
                      "决定书文号", "整改期限", "责任人", "状态", "下达时间", "结案时间", "复查次数", "复查记录"]
XLSX_FOLLOWUP = "{day} {result}（{who}，照片 {photos} 张）：{note}"
XLSX_FOLLOWUP_RESULTS = {"rectified": "已整改", "not_rectified": "未整改"}
XLSX_REVIEW = {None: "待审核", "approved": "已通过", "returned": "已退回", "resubmitted": "修正后待复审"}
XLSX_CONFIRMED = {True: "已确认", False: "已排除", None: "待确认"}
XLSX_CERT_STAGE_DONE = "已完成"
XLSX_CERT_STAGE_OPEN = "未完成"

# ---- chat: exports
EXPORT_USAGE = "用法：导出 检查编号，例如“导出 12”。您最近的检查：\n{lines}"
EXPORT_USAGE_NONE = "用法：导出 检查编号，例如“导出 12”。您还没有检查记录。"
EXPORT_LINE = "#{id} {name} {date}"
EXPORT_NOT_FOUND = "没有编号为 {id} 的检查。"
EXPORT_FORBIDDEN = "检查 #{id} 不是您参与的检查，只有检查人员、本局督查负责人和市局可以导出。"
EXPORT_CANCELLED = "检查 #{id} 已取消，不出具检查表。"
EXPORT_CAPTION = "检查表 #{id}：{name}（{date}）"
EXPORT_FAILED = "检查表暂时未能生成（已记录），可稍后回复“导出 {id}”重试。"
EXPORT_SUBMIT_CAPTION = "已填写的检查表 #{id}，可打印存档。"
EXPORT_SIGNABLE_CAPTION = "检查表 #{id}（{name}）签字版：打印或出示给被检查单位负责人签字，再把签字页拍照发来。"
EXPORT_XLSX_CAPTION = "检查数据表：{scope}"
REPORT_FORBIDDEN = "书面情况报告由督查负责人导出。如需要请联系本局督查负责人。"
REPORT_NO_BUREAU = "没有找到单位“{name}”。"
REPORT_OTHER_BUREAU = "您只能导出本局的报告。"
REPORT_CAPTION = "{title}（截至 {date}）"
REPORT_DEADLINE = "请于 {deadline} 前报{to}。"

# ---- chat: the typical case conversation
CASE_CHOOSE_SOURCE = ("编写典型执法案例。可从一次检查开始（按其发现的问题和依据预填），或从空白开始：")
CASE_SOURCE_LINE = "#{id} {name}（{date}，问题 {n} 项）"
CASE_BLANK = "空白开始"
CASE_NO_SOURCE = "没有可用的检查（需已提交且有确认的问题），将从空白开始。"
CASE_STARTED = "已建立典型案例草稿 #{id}。每一步都会即时保存；随时可回复“上一步”“取消”“帮助”。"
CASE_PREFILLED = "已按检查 #{iid} 预填（{name}），每一步可“沿用”或重写。"
CASE_RESUMED = "继续编写典型案例 #{id}。"
CASE_SOURCE_NOT_FOUND = "没有编号为 {id} 的检查，或您无权使用。"
CASE_KEEP = "沿用"
CASE_REDO = "重填"
CASE_CURRENT = "当前：{value}"
CASE_ASK_TITLE = ("【标题】格式为“执法主体+违法主体+案”，例如“泽州县应急管理局对某某煤业有限公司行政处罚案”。请输入标题：")
CASE_ASK_KEYWORDS = "【关键词】以 {min} 到 {max} 个关键词归纳案例内容，用顿号分隔："
CASE_ASK_KEYWORDS_MORE = "已记下关键词：{have}。请再发至少 {need} 个补充（用顿号分隔），或回复“重填”："
CASE_ASK_GIST = "【要旨】说明案例包含的执法检查要点，需至少包含以下之一：{points}。请输入："
CASE_ASK_FACTS = "【基本案情】详细介绍案件事实等基本情况："
CASE_ASK_REASONING = ("【查处理由及结果】写明法律法规的适用和处理结果，理由应包括：证据采信理由（哪些证据、为何采信）、"
                      "依据选择理由（为何适用该条款）、决定裁量理由（为何作此处理、罚款数额的考虑）：")
CASE_ASK_COMMENTARY = "【案例评析】写明对类似案件执法的参考借鉴价值和需要完善改进的地方："
CASE_ASK_FILES = ("【执法文书】请发送案例涉及的执法文书（照片，或 PDF / Word 文件，可多份），都会放进案例文件；"
                  "每份可附一句名称（随照片发送，或紧接着回复）。发完回复“完成”。已收到 {n} 份。")
CASE_FILES_DONE = "完成"
CASE_FILES_CLEAR = "清空重传"
CASE_ASK_OFFICERS = ("【执法人员】需填两名执法人员，每行一人：姓名 执法证号 联系电话。\n"
                     "例如：李明 14050220230017 13800000000\n已填 {n} 名{names}。")
CASE_REVIEW = "典型案例 #{id} 汇总：\n{body}\n要修改请回复“修改 标题”（或关键词、要旨、基本案情、查处理由、案例评析、执法文书、执法人员）。"
CASE_FINISH = "完成并导出"
CASE_REVIEW_LINE = "{label}{value}"
CASE_FILES_COUNT = "{n} 份"

CASE_SAVED_FIELD = "{label}已保存。"
CASE_TITLE_NO_AN = "标题需以“案”字结尾（格式：执法主体+违法主体+案）。您输入的是：“{value}”"
CASE_TITLE_NO_BUREAU = "标题需写明执法主体（某某应急管理局），例如“泽州县应急管理局对……案”。您输入的是：“{value}”"
CASE_TITLE_NO_PARTY = "标题需写明违法主体（“对”某某企业或单位），例如“……应急管理局对某某煤业有限公司行政处罚案”。您输入的是：“{value}”"
CASE_TITLE_LENGTH = "标题应为 10 到 80 字。您输入的是：“{value}”"
CASE_KEYWORDS_FEW = "关键词需 {min} 到 {max} 个，现在只有 {n} 个。"
CASE_KEYWORDS_MANY = "关键词最多 {max} 个，这样共有 {n} 个：{have}。请删减后重新发送全部关键词。"
CASE_KEYWORD_LENGTH = "每个关键词 2 到 15 字，“{word}”不符合。已记下的关键词：{have}"
CASE_GIST_NO_POINT = "要旨需至少包含一项执法检查重点事项：{points}。您的要旨未提到其中任何一项，请补充后重新发送。"
CASE_TEXT_SHORT = "{label}太短（至少 {n} 字），请写得具体些。"
CASE_OFFICER_MISSING_BADGE = "“{line}”缺少执法证号。每行：姓名 执法证号 联系电话。"
CASE_OFFICER_MISSING_CONTACT = "“{line}”缺少联系电话。每行：姓名 执法证号 联系电话。"
CASE_OFFICER_MISSING_NAME = "“{line}”缺少姓名。每行：姓名 执法证号 联系电话。"
CASE_OFFICER_BAD = "“{line}”看不懂。每行：姓名 执法证号 联系电话，例如：李明 14050220230017 13800000000"
CASE_OFFICER_DUPLICATE = "执法证号 {badge_no} 已填过（{name}），两名执法人员应为不同的人。"
CASE_OFFICER_TOO_MANY = "只需两名执法人员，已填满：{names}。如要更换请回复“重填”。"
CASE_OFFICER_ONE = "需填两名执法人员及联系方式，现在只有 {n} 名{names}。请再填 {need} 名。"
CASE_OFFICER_SAVED = "已记录执法人员：{names}。"
CASE_FILE_SAVED = "📎 执法文书已保存（共 {n} 份）。"
CASE_FILE_CAPTION_HINT = "可直接回复一句话作为文书{n}的名称（如“行政处罚决定书”），案例中显示在其下方。"
CASE_FILE_CAPTIONED = "文书{n}的名称：{caption}"
CASE_FILE_BAD = "只接收照片、PDF 或 Word 文件。“{name}”未保存。"
CASE_FILE_TOO_BIG = "文件太大（超过 {mb} MB），未保存。"
CASE_FILE_FAILED = "文件下载失败，未保存，请重发。"
CASE_FILE_STORE_DOWN = "文件存储暂时不可用，这份文件未保存。请稍后重发，已填写的内容不受影响。"
# The evidence store (MEDIA_DIR or object storage) could not take a photo: nothing was stored.
PHOTO_STORE_DOWN = "照片存储暂时不可用，这张照片未保存。检查可以继续，请稍后重发这张照片。"
# `inspector-bot media migrate` / `media cleanup` (operators)
MEDIA_MIGRATED = ("证据迁移：新迁移 {moved} 个，原已在对象存储 {present} 个（均已按哈希核对），"
                  "非证据文件未迁移 {skipped} 个，失败 {failed} 个。")
MEDIA_MIGRATED_REMOVED = "已删除本地已核对的文件 {n} 个。"
MEDIA_CLEANED = "已删除超过 {days} 天的生成文件 {n} 个。"
CASE_FILES_NEEDED = "请至少发送一份执法文书（照片或文件）再回复“完成”。"
CASE_FILES_CLEARED = "已清空执法文书（{n} 份）。"
CASE_NO_FIELD = "没有“{name}”这一项。可修改：标题、关键词、要旨、基本案情、查处理由、案例评析、执法文书、执法人员。"
CASE_INCOMPLETE = "还不能完成：{missing}。"
CASE_FINISHED = "✅ 典型案例 #{id} 已完成：{title}\n本局已完成典型案例 {count} 个（任务 {quota} 个）。"
CASE_DOC_CAPTION = "典型执法案例 #{id}"
CASE_LEFT = "已退出案例编写，草稿 #{id} 已保存。回复“典型案例”继续。"
CASE_BUSY = "您正在编写典型案例 #{id}。要做别的，请先回复“取消”（草稿会保存）。"
CASE_NO_BACK = "已经是第一步了。"
CASE_HELP = ("编写典型案例时可用：\n"
             "• 直接回复内容作答；有“沿用”时可沿用预填内容\n"
             "• 上一步：回到上一项\n"
             "• 修改 标题（或关键词、要旨……）：改某一项\n"
             "• 取消：退出，草稿保存，回复“典型案例”继续")
CASE_FIELD_LABELS = {
    "title": "标题", "keywords": "关键词", "gist": "要旨", "facts": "基本案情", "reasoning": "查处理由及结果",
    "commentary": "案例评析", "files": "执法文书", "officers": "执法人员",
}
CASE_FIELD_ALIASES = {
    "标题": "title", "关键词": "keywords", "要旨": "gist", "基本案情": "facts", "案情": "facts",
    "查处理由": "reasoning", "查处理由及结果": "reasoning", "理由": "reasoning", "案例评析": "commentary",
    "评析": "commentary", "执法文书": "files", "文书": "files", "执法人员": "officers",
}
CASE_PREFILL_TITLE = "{bureau}对{enterprise}行政处罚案"
CASE_PREFILL_FACTS = ("{date}，{bureau}执法人员{inspectors}对{enterprise}（{industry}）开展安全生产培训“走过场”"
                      "专项整治“回头看”检查，发现以下问题：{problems}")
CASE_PREFILL_REASONING = "证据采信：{evidence}\n依据选择：{basis}\n决定裁量：{decision}"
CASE_PREFILL_EVIDENCE = ("现场检查记录、经被检查单位负责人{responsible}签字确认的检查表{photos}{certs}相互印证，"
                         "证明上述违法事实清楚。")
CASE_PREFILL_PHOTOS = "、现场照片{n}张"
CASE_PREFILL_CERTS = "、三项岗位人员持证登记及全国查询平台核查记录"
CASE_PREFILL_BASIS = "上述行为属于{citations}规定的情形，依照该规定予以处理。"
CASE_PREFILL_DECISION = "{decisions}。"
CASE_PREFILL_DECISION_MISSING = "【待补充：处理决定及裁量理由（违法情节、整改情况、罚款数额的考虑）】"
CASE_PREFILL_GIST = "本案涉及{points}安全生产培训执法检查要点：{items}。"
CASE_PREFILL_KEYWORDS = ["安全培训", "回头看"]
