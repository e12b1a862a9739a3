package diffing

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("F"))
	text := string(b)
	fmt.Print(renderQuotesForTest([]rune(text), ExtractQuotes(text)))
}
