package account

import "testing"

// Rates: a county liaison sees its own county's alone, the city level and admins every county's
// and the whole city's; supervision items are the city level's; the settings the admins'.
func TestSupervisionPolicyTable(t *testing.T) {
	t.Parallel()
	lc, oh, city := Object{CountyCode: "330302"}, Object{CountyCode: "330304"}, Object{}
	cases := []struct {
		name                 string
		a                    Actor
		lc, oh, city, sup, m bool
	}{
		{"admin", Actor{UserID: 1, Role: RoleAdmin}, true, true, true, true, true},
		{"city liaison", Actor{UserID: 2, Role: RoleLiaison}, true, true, true, true, false},
		{"county liaison", Actor{UserID: 3, Role: RoleLiaison, CountyCode: "330302"}, true, false, false, false, false},
		{"officer", Actor{UserID: 4, Role: RoleOfficer, BodyID: 1}, false, false, false, false, false},
		{"enterprise", Actor{UserID: 5, Role: RoleEnterprise, EnterpriseID: 1}, false, false, false, false, false},
		{"observer", Actor{UserID: 6, Role: RoleObserver}, false, false, false, false, false},
		{"provider", Actor{UserID: 7, Role: RoleProvider}, false, false, false, false, false},
	}
	for _, tc := range cases {
		if Can(tc.a, ViewRates, lc) != tc.lc || Can(tc.a, ViewRates, oh) != tc.oh || Can(tc.a, ViewRates, city) != tc.city {
			t.Errorf("%s: rates of 鹿城 %v, 瓯海 %v, the city %v", tc.name, Can(tc.a, ViewRates, lc), Can(tc.a, ViewRates, oh), Can(tc.a, ViewRates, city))
		}
		if Can(tc.a, SuperviseCity, city) != tc.sup || Can(tc.a, ManageSupervision, city) != tc.m {
			t.Errorf("%s: supervision %v, settings %v", tc.name, Can(tc.a, SuperviseCity, city), Can(tc.a, ManageSupervision, city))
		}
	}
}
