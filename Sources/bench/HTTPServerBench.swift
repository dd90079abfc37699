/// Placeholder until this suite is written.
func runHTTPServerBench() {
    print("  (not written yet)")
}
