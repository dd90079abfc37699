/// Placeholder until this suite is written.
func runTransactionBench() {
    print("  (not written yet)")
}
