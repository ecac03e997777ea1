package portal

// Messages of the rest of the experience work: the queue's search and folded filters, who
// filed an order in an enterprise's own list, the applicant's menu.
func init() {
	for k, v := range map[string][2]string{
		"nav.application":    {"我的申请", "Your application"},
		"orders.search":      {"搜索", "Search"},
		"orders.search.hint": {"工单编号、企业名称或统一社会信用代码", "Order number, enterprise name or credit code"},
		"orders.search.go":   {"搜索", "Search"},
		"orders.filters":     {"筛选", "Filters"},
		"orders.source":      {"提交方", "Filed by"},
		"orders.source.own":  {"您提交的", "Filed by you"},
		"orders.source.sys":  {"系统线索", "System clue"},
		"orders.source.obs":  {"观察点代为反映", "Filed by an observation point"},
	} {
		messages[k] = v
	}
}
