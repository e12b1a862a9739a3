//go:build race

package ingest

// raceBuild: the tests run under the race detector.
const raceBuild = true
