/// Placeholder until this suite is written.
func runRLPBench() {
    print("  (not written yet)")
}
