package portal

// Messages of the order page's deadlines: which round a stage belongs to (a re-handling or a
// reopening starts a new one).
func init() {
	for k, v := range map[string][2]string{
		"orders.round": {"轮次", "round"},
	} {
		messages[k] = v
	}
}
