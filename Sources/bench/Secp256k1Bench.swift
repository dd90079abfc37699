/// Placeholder until this suite is written.
func runSecp256k1Bench() {
    print("  (not written yet)")
}
