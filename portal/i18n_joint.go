package portal

func init() {
	for k, v := range map[string][2]string{
		"joint.title":     {"待确认的联合检查", "Joint inspections awaiting your answer"},
		"joint.hint":      {"其他执法单位登记了联合检查并列入本单位。确认后本单位才参加，并计入对该企业的年度检查次数；拒绝则不参加。", "Another body registered a joint inspection naming your body. Your body takes part, and it counts toward your yearly inspections of the enterprise, only once you confirm; declining keeps you out."},
		"joint.coord":     {"牵头单位", "Coordinating body"},
		"joint.ent":       {"企业", "Enterprise"},
		"joint.confirm":   {"确认参加", "Confirm"},
		"joint.decline":   {"拒绝", "Decline"},
		"joint.confirmed": {"已确认参加联合检查。", "Your body's part in the joint inspection is confirmed."},
		"joint.pending":   {"待确认参加的单位", "Bodies yet to confirm"},
		"joint.declined":  {"已拒绝参加联合检查。", "Your body declined the joint inspection."},
	} {
		messages[k] = v
	}
}
