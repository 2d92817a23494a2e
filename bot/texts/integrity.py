"""User-facing texts of the integrity area."""

# Told to the inspector at once, in the chat.
INTEGRITY_PHOTO_REUSED = ("⚠️ 这张照片与 {date} 检查{name}时的照片{how}，已记录，主管可见。"
                          "如发错了，请补拍现场照片。{more}")
INTEGRITY_PHOTO_MORE = "（另有 {n} 次检查用过）"
INTEGRITY_SAME = "是同一张"
INTEGRITY_NEAR = "几乎相同"
INTEGRITY_CERT_NUMBER_REUSED = ("⚠️ 编号 {number} 已登记为{person}的证书（{date} 检查{name}时），"
                                "与{this}不符，已记录，主管可见。请核对证件。")

# Reasons stored with each flag: plain words, read by supervisors.
INTEGRITY_REASON_PHOTO = "{req}的照片与 {date} 检查{name}（第 {id} 号检查）时的照片{how}"
INTEGRITY_REASON_CAPTURE = "{req}的照片拍摄于 {taken}，与检查日期 {visit} 相差 {days} 天"
INTEGRITY_REASON_LOCATION = "{req}的照片拍摄位置{where}"
INTEGRITY_FAR_ENTERPRISE = "距企业位置 {km:.1f} 公里"
INTEGRITY_FAR_SHARED = "距检查时共享的定位 {km:.1f} 公里"
INTEGRITY_REASON_FAST = "{n} 项检查内容 {minutes} 分 {seconds} 秒内全部答完（平均每项不足 {min} 秒）"
INTEGRITY_REASON_CERT_NUMBER = "{this}的证书编号 {number} 已登记为{person}的证书（{date} 检查{name}时）"
INTEGRITY_REASON_CERT_EXPIRED = "{person}的{type}有效期至 {expiry}，早于检查日期 {visit}"
INTEGRITY_REQ = "{id} "
INTEGRITY_REQ_CERT = "证件"
INTEGRITY_REQ_SIGNATURE = "签字页"

# The "需关注" block in progress answers, digests and reports.
INTEGRITY_BLOCK_HEAD = "需关注（{n} 项）："
INTEGRITY_BLOCK_LINE = "· F{id} {name} {date}：{reason}"  # F: a flag's number, not an inspection's (#)
INTEGRITY_BLOCK_MORE = "……另有 {n} 项"

# ---- a supervisor closes a flag after looking at it
INTEGRITY_RESOLVE_USAGE = "请写明需关注的编号和核实情况，如“核实 F12 两张照片是同一计划的不同页”。"
INTEGRITY_RESOLVE_NOT_ALLOWED = "只有本局的监督人员可以核实需关注事项。"
INTEGRITY_RESOLVE_NOT_FOUND = "没有待核实的需关注 F{id}（或不在您的辖区）。"
INTEGRITY_RESOLVE_OWN = "需关注 F{id} 出自您参与的检查 #{iid}，不能由您核实，请由本局其他监督人员核实。"
INTEGRITY_RESOLVED = "需关注 F{id} 已核实关闭：{reason}。已记入修改记录。"

# ---- certificate photos read by OCR (bot/ocr.py; the `ocr` extra)
OCR_ASK_CERT_NUMBER = "证件编号（没有证件请回复“无证”）。也可以直接拍证件照片发来，我来识别编号："
OCR_ASK_CERT_NUMBER_READ = "照片上识别出的证件编号是 {number}。与证件一致请点“采用”，不一致请直接输入正确的编号："
OCR_USE = "采用 {value}"
OCR_READ = "🔎 证件照片识别结果：{fields}"
OCR_FIELD_NUMBER = "编号 {value}"
OCR_FIELD_NAME = "姓名 {value}"
OCR_FIELD_KIND = "作业类别 {value}"
OCR_FIELD_ITEM = "准操项目 {value}"
OCR_FIELD_VALID = "有效期至 {value}"
OCR_FIELD_SEP = "；"
OCR_NOTHING_READ = "没能从这张照片识别出证件编号，请手动输入（或换个角度重拍）。"
OCR_NAME_DIFFERS = "⚠️ 照片上的姓名是{read}，登记的是{name}，请核对是否为本人的证件。"
OCR_NUMBER_MATCHES = "✓ 照片上的编号与登记的 {number} 一致。"
OCR_NUMBER_MISMATCH = "⚠️ 登记的编号 {typed} 与证件照片上识别出的 {read} 不一致，已记录，主管可见。请核对证件。"
INTEGRITY_REASON_CERT_PHOTO = "{person}登记的证书编号 {typed} 与其证件照片上识别出的编号 {read} 不一致"
