package portal

func init() {
	for k, v := range map[string][2]string{
		"admin.err.disable_self": {"不能停用自己的账号", "You cannot disable your own login"},
	} {
		messages[k] = v
	}
}
