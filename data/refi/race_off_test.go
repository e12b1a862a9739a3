//go:build !race

package refi

// raceBuild: the tests run under the race detector.
const raceBuild = false
