"""The sample generator's helpers: survey answers written as real survey tools
export them."""
