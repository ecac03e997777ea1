package lifecycle

// Rule is one row of the routing table (type × county × body → channel and unit). Empty
// matchers match anything.
type Rule struct {
	Type   Type
	County string
	BodyID uint
	Chan   Channel
	Unit   uint // 0: the reported body handles it, if one is named
}

// Route is where an order goes.
type Route struct {
	Channel Channel
	Unit    uint
}

// DefaultChannel: enforcement conduct, illegal inspections and legal matters go to the 12348
// fast lane; general appeals and consultations to 12345.
func DefaultChannel(t Type) Channel {
	switch t {
	case TypeIllegalInspection, TypeMissingCode, TypeConduct:
		return Channel12348
	}
	return Channel12345
}

// Decide picks the most specific matching rule: each matched field (type, county, body) counts
// one, and rule order breaks ties. Without a match the default channel applies. The unit is the
// rule's, else the reported body.
func Decide(rules []Rule, t Type, county string, body uint) Route {
	best, bestScore := -1, -1
	for i, r := range rules {
		if (r.Type != "" && r.Type != t) || (r.County != "" && r.County != county) || (r.BodyID != 0 && r.BodyID != body) {
			continue
		}
		score := 0
		for _, set := range []bool{r.Type != "", r.County != "", r.BodyID != 0} {
			if set {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	rt := Route{Channel: DefaultChannel(t), Unit: body}
	if best >= 0 {
		rt.Channel = rules[best].Chan
		if rules[best].Unit != 0 {
			rt.Unit = rules[best].Unit
		}
	}
	return rt
}
