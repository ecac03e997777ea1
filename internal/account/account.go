// Package account holds who uses the system: enterprises, users and their roles, credit-code and
// password rules, and the one place that decides who may do what to whose object.
package account

import "time"

// Role is what a user is in the system (domain.md, roles table).
type Role string

// The roles.
const (
	RoleEnterprise Role = "enterprise"
	RoleObserver   Role = "observer" // observation point (观测点/联系点)
	RoleLiaison    Role = "liaison"  // supervision liaison (监督联络员), county or city scope
	RoleOfficer    Role = "officer"  // agency officer (执法机关), scoped to one body
	RoleProvider   Role = "provider" // service provider
	// RoleOperator is a 12345/12348 hotline operator (话务员): records a phone call as an order on
	// behalf of the enterprise that called, and sees the orders it took, nothing else.
	RoleOperator  Role = "operator"
	RoleAdmin     Role = "admin"
	RoleAnonymous Role = ""
)

// Roles lists every role a user can have, in display order.
var Roles = []Role{RoleEnterprise, RoleObserver, RoleLiaison, RoleOfficer, RoleProvider, RoleOperator, RoleAdmin}

// Valid tells whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// County is a county-level unit of Wenzhou.
type County struct {
	Code   string `gorm:"primaryKey"`
	NameZh string
	NameEn string
	Sort   int
}

// Body is an enforcement body (执法主体).
type Body struct {
	ID          uint
	NameZh      string
	NameEn      string
	Short       string
	CountyCode  string // empty: municipal
	Qualified   bool
	AnnouncedOn *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Enterprise is a company identified by its unified social credit code.
type Enterprise struct {
	ID          uint
	USCC        string `gorm:"column:uscc"`
	Name        string
	CountyCode  string
	Industry    string
	ContactName string
	Mobile      string
	CreditGrade string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// User is a login.
type User struct {
	ID           uint
	Username     string
	PasswordHash string `json:"-"`
	Role         Role
	DisplayName  string
	EnterpriseID *uint
	BodyID       *uint
	CountyCode   string // a liaison's scope; empty for the city level
	OrgName      string
	Disabled     bool
	FailedLogins int
	LockedUntil  *time.Time
	// EnterpriseVerified: the login's claim on EnterpriseID was reviewed and approved (or the
	// login was made by someone who checked it). Until then it acts for no enterprise (ActorOf).
	EnterpriseVerified bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Industries are the key industries of the seed's menu-style services (§2.8) plus a catch-all.
var Industries = []struct{ Code, Zh, En string }{
	{"new_energy", "新能源", "New energy"},
	{"smart_mfg", "智能制造", "Smart manufacturing"},
	{"footwear", "鞋革", "Footwear and leather"},
	{"electrical", "电气", "Electrical equipment"},
	{"apparel", "服装", "Apparel"},
	{"auto_parts", "汽摩配", "Auto and motorcycle parts"},
	{"pumps_valves", "泵阀", "Pumps and valves"},
	{"digital", "数字经济", "Digital economy"},
	{"food", "食品", "Food"},
	{"chemicals", "化工", "Chemicals"},
	{"other", "其他", "Other"},
}

// ValidIndustry tells whether code is a known industry.
func ValidIndustry(code string) bool {
	for _, i := range Industries {
		if i.Code == code {
			return true
		}
	}
	return false
}

// CountyCodes are Wenzhou's twelve county-level units (national division codes), in official order.
var CountyCodes = []string{"330302", "330303", "330304", "330305", "330382", "330381", "330324", "330326", "330327", "330328", "330329", "330383"}
