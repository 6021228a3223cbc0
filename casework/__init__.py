"""Employment-assistance casework for relocated households (易地扶贫搬迁后续扶持就业帮扶)."""
