//go:build race

package main

// raceBuild: the tests run under the race detector, so the binary they
// build is built with it too, from the packages already compiled for the
// tests; without it a cold cache compiled every package, GLFW's and
// SQLite's C included, a second time (five minutes on two cores).
const raceBuild = true
