/// Placeholder until this suite is written.
func runLoadBench() {
    print("  (not written yet)")
}
