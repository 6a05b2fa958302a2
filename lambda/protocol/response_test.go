package protocol

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/cfn"
)

func baseResponse(status cfn.StatusType) cfn.Response {
	ev := testEvent("", cfn.RequestCreate, "")
	return cfn.Response{
		Status:             status,
		RequestID:          ev.RequestID,
		LogicalResourceID:  ev.LogicalResourceID,
		StackID:            ev.StackID,
		PhysicalResourceID: "gt-role-" + strings.Repeat("x", 40),
	}
}

func TestBuildBodyFits(t *testing.T) {
	const stream = "2026/01/02/[$LATEST]0123456789abcdef"
	tests := []struct {
		name        string
		status      cfn.StatusType
		reason      string
		data        map[string]any
		wantTrimmed bool
		wantStatus  cfn.StatusType
	}{
		{"short reason is kept", cfn.StatusFailed, "role name taken", nil, false, cfn.StatusFailed},
		{"10 kB ASCII reason", cfn.StatusFailed, strings.Repeat("a", 10_000), nil, true, cfn.StatusFailed},
		{"10 kB two-byte runes", cfn.StatusFailed, strings.Repeat("é", 5_000), nil, true, cfn.StatusFailed},
		{"three- and four-byte runes", cfn.StatusFailed, strings.Repeat("日本🚀", 1_000), nil, true, cfn.StatusFailed},
		{"escape-heavy reason", cfn.StatusFailed, strings.Repeat("\"\\\n\x01<>&\u2028", 1_000), nil, true, cfn.StatusFailed},
		{"invalid UTF-8 is repaired", cfn.StatusFailed, strings.Repeat("ok\xff\xfe", 2_000), nil, true, cfn.StatusFailed},
		{"small data kept on success", cfn.StatusSuccess, "", map[string]any{"Arn": "arn:aws:iam::1:role/r"}, false, cfn.StatusSuccess},
		{"oversized data fails the request", cfn.StatusSuccess, "", map[string]any{"Blob": strings.Repeat("d", 5_000)}, false, cfn.StatusFailed},
		{"unencodable data fails the request", cfn.StatusSuccess, "", map[string]any{"Bad": math.NaN()}, false, cfn.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := baseResponse(tt.status)
			r.Reason, r.Data = tt.reason, tt.data
			b, err := buildBody(r, stream)
			if err != nil {
				t.Fatalf("buildBody: %v", err)
			}
			if len(b.body) > MaxResponseBytes {
				t.Fatalf("body is %d bytes, limit %d", len(b.body), MaxResponseBytes)
			}
			if !utf8.Valid(b.body) {
				t.Error("body is not valid UTF-8")
			}
			got := decode(t, b.body)
			if got.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (reason %q)", got.Status, tt.wantStatus, got.Reason)
			}
			if got.PhysicalResourceID != r.PhysicalResourceID || got.RequestID != r.RequestID {
				t.Errorf("identity fields changed: %+v", got)
			}
			if b.trimmed != tt.wantTrimmed {
				t.Errorf("trimmed = %v, want %v", b.trimmed, tt.wantTrimmed)
			}
			if tt.wantTrimmed {
				if !strings.HasSuffix(got.Reason, " … (truncated, see CloudWatch logs "+stream+")") {
					t.Errorf("trimmed reason lacks the marker: …%q", got.Reason[max(0, len(got.Reason)-80):])
				}
				// Cutting on a rune boundary may waste at most one escaped rune (6 bytes).
				if len(b.body) < MaxResponseBytes-6 {
					t.Errorf("trimmed body is %d bytes; trimming wasted space", len(b.body))
				}
				if b.fullReason != strings.ToValidUTF8(tt.reason, "\uFFFD") {
					t.Error("fullReason does not keep the untrimmed reason")
				}
			}
			if !tt.wantTrimmed && tt.reason != "" && got.Reason != tt.reason {
				t.Errorf("reason changed: %q", got.Reason)
			}
			if tt.wantStatus == cfn.StatusFailed && got.Data != nil {
				t.Errorf("FAILED response carries Data %v", got.Data)
			}
			if tt.wantStatus == cfn.StatusSuccess && len(got.Data) != len(tt.data) {
				t.Errorf("Data = %v, want %v", got.Data, tt.data)
			}
		})
	}
}

func TestBuildBodyDroppedDataReason(t *testing.T) {
	r := baseResponse(cfn.StatusSuccess)
	r.Data = map[string]any{"Blob": strings.Repeat("d", 5_000)}
	b, err := buildBody(r, "")
	if err != nil {
		t.Fatalf("buildBody: %v", err)
	}
	if !b.droppedData || b.dataBytes < 5_000 {
		t.Errorf("droppedData = %v, dataBytes = %d", b.droppedData, b.dataBytes)
	}
	if !strings.Contains(b.resp.Reason, "4096") {
		t.Errorf("reason %q does not name the limit", b.resp.Reason)
	}
}

func TestBuildBodyWithoutLogStream(t *testing.T) {
	r := baseResponse(cfn.StatusFailed)
	r.Reason = strings.Repeat("z", 9_000)
	b, err := buildBody(r, "")
	if err != nil {
		t.Fatalf("buildBody: %v", err)
	}
	if !strings.HasSuffix(b.resp.Reason, " … (truncated, full reason in CloudWatch logs)") {
		t.Errorf("reason ends %q", b.resp.Reason[len(b.resp.Reason)-60:])
	}
}

func TestBuildBodyRefusesOversizedIdentity(t *testing.T) {
	r := baseResponse(cfn.StatusFailed)
	r.StackID = strings.Repeat("s", MaxResponseBytes)
	r.Reason = "x"
	if _, err := buildBody(r, ""); err == nil {
		t.Error("buildBody accepted a response whose fixed fields exceed the limit")
	}
}

func TestEscapedLenMatchesEncoder(t *testing.T) {
	for _, s := range []string{"plain", "é日🚀", "\"\\/\n\r\t\b\f", "\x00\x01\x1f", "<>&", "\u2028\u2029", "\uFFFD"} {
		enc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		r := baseResponse(cfn.StatusFailed)
		r.Reason = s
		body, err := encode(r)
		if err != nil {
			t.Fatal(err)
		}
		r.Reason = "x"
		probe, _ := encode(r)
		if got, want := escapedLen(s), len(body)-(len(probe)-1); got != want {
			t.Errorf("escapedLen(%q) = %d, encoder wrote %d (json.Marshal %d)", s, got, want, len(enc)-2)
		}
	}
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},
		{"日本", 4, "日"},
		{"🚀", 3, ""},
	}
	for _, tt := range tests {
		if got := truncateUTF8(tt.s, tt.n); got != tt.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func FuzzBuildBody(f *testing.F) {
	f.Add("short", 0)
	f.Add(strings.Repeat("é\n\"", 3_000), 100)
	f.Add(strings.Repeat("\xff🚀", 2_000), 3000)
	f.Fuzz(func(t *testing.T, reason string, dataLen int) {
		r := baseResponse(cfn.StatusFailed)
		if dataLen > 0 && dataLen < 20_000 {
			r.Status = cfn.StatusSuccess
			r.Data = map[string]any{"K": strings.Repeat("v", dataLen)}
		}
		r.Reason = reason
		b, err := buildBody(r, "stream")
		if err != nil {
			t.Fatalf("buildBody: %v", err)
		}
		if len(b.body) > MaxResponseBytes || !utf8.Valid(b.body) || !json.Valid(b.body) {
			t.Fatalf("body of %d bytes, valid UTF-8 %v, valid JSON %v", len(b.body), utf8.Valid(b.body), json.Valid(b.body))
		}
		if !b.trimmed && !b.droppedData && b.resp.Reason != strings.ToValidUTF8(reason, "\uFFFD") {
			t.Fatalf("reason changed without trimming")
		}
	})
}

func BenchmarkBuildBodyTrim(b *testing.B) {
	r := baseResponse(cfn.StatusFailed)
	r.Reason = strings.Repeat("policy document too large é ", 400) // ~11 kB
	for b.Loop() {
		if _, err := buildBody(r, "2026/01/02/[$LATEST]0123456789abcdef"); err != nil {
			b.Fatal(err)
		}
	}
}
