package faultproxy

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
)

// iamErrorResponse is IAM's Query-API error document.
type iamErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     iamError `xml:"Error"`
	RequestID string   `xml:"RequestId"`
}

type iamError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

var requestSeq atomic.Uint64

// writeIAMError answers w with status and an IAM error document for code.
func writeIAMError(w http.ResponseWriter, status int, code, message string) error {
	errType := "Sender"
	if status >= http.StatusInternalServerError {
		errType = "Receiver"
	}
	id := "faultproxy-" + strconv.FormatUint(requestSeq.Add(1), 10)
	body, err := xml.Marshal(iamErrorResponse{
		Xmlns:     "https://iam.amazonaws.com/doc/2010-05-08/",
		Error:     iamError{Type: errType, Code: code, Message: message},
		RequestID: id,
	})
	if err != nil {
		return fmt.Errorf("encode IAM error %s: %w", code, err)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", id)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, err = w.Write(body)
	return err
}
