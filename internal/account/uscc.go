package account

import "strings"

// usccChars is the alphabet of GB 32100-2015: digits and capitals without I, O, S, V, Z.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar computes the check character for the first 17 characters of a unified social
// credit code; ok is false when they hold a character outside the alphabet.
func USCCCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], true
}

// ValidUSCC verifies an 18-character unified social credit code and its check character.
func ValidUSCC(code string) bool {
	if len(code) != 18 {
		return false
	}
	c, ok := USCCCheckChar(code[:17])
	return ok && c == code[17]
}

// NormalizeUSCC trims and upper-cases what a person typed.
func NormalizeUSCC(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
