package cpufeat

import "testing"

func TestLimit(t *testing.T) {
	cases := []struct {
		env          string
		avx2, avx512 bool
		wantErr      bool
	}{
		{"", true, true, false},
		{"avx512", true, true, false},
		{"avx2", true, false, false},
		{"generic", false, false, false},
		{"AVX2", true, true, true},
		{"sse", true, true, true},
	}
	for _, c := range cases {
		a2, a5, err := Limit(true, true, c.env)
		if a2 != c.avx2 || a5 != c.avx512 || (err != nil) != c.wantErr {
			t.Errorf("Limit(true, true, %q) = %v, %v, %v; want %v, %v, error %v", c.env, a2, a5, err, c.avx2, c.avx512, c.wantErr)
		}
	}
	// A limit never grants what the CPU lacks.
	if a2, a5, _ := Limit(false, false, "avx512"); a2 || a5 {
		t.Errorf("Limit(false, false, avx512) = %v, %v", a2, a5)
	}
	if a2, a5, _ := Limit(true, false, ""); !a2 || a5 {
		t.Errorf("Limit(true, false, \"\") = %v, %v", a2, a5)
	}
}
