/// Placeholder until this suite is written.
func runJSONBench() {
    print("  (not written yet)")
}
