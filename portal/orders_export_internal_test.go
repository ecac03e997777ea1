package portal

import "testing"

func TestCellTextNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://evil.example\")": "'=HYPERLINK(\"http://evil.example\")",
		"+1+1":                                "'+1+1",
		"-2+3":                                "'-2+3",
		"@SUM(A1)":                            "'@SUM(A1)",
		"\t=1":                                "'\t=1",
		"\r=1":                                "'\r=1",
		"温州鹿城新锐鞋业有限公司":                        "温州鹿城新锐鞋业有限公司",
		"":                                    "",
	} {
		if got := cellText(in); got != want {
			t.Errorf("cellText(%q) = %q, want %q", in, got, want)
		}
	}
}
