/// Placeholder until this suite is written.
func runKeccakBench() {
    print("  (not written yet)")
}
