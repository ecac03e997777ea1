package migrations

import "gorm.io/gorm"

// up0002 loads Wenzhou's twelve county-level units (属地管辖 is county-level first, seed §2.6);
// codes are the national administrative division codes.
func up0002(tx *gorm.DB) error {
	rows := []m0001County{
		{"330302", "鹿城区", "Lucheng District", 1},
		{"330303", "龙湾区", "Longwan District", 2},
		{"330304", "瓯海区", "Ouhai District", 3},
		{"330305", "洞头区", "Dongtou District", 4},
		{"330382", "乐清市", "Yueqing City", 5},
		{"330381", "瑞安市", "Rui'an City", 6},
		{"330324", "永嘉县", "Yongjia County", 7},
		{"330326", "平阳县", "Pingyang County", 8},
		{"330327", "苍南县", "Cangnan County", 9},
		{"330328", "文成县", "Wencheng County", 10},
		{"330329", "泰顺县", "Taishun County", 11},
		{"330383", "龙港市", "Longgang City", 12},
	}
	return tx.Create(&rows).Error
}
