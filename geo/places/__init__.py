"""Text → places: the offline gazetteer, mention matching and resolution.

The flow inside this package is ``gazetteer`` (the GeoNames index) → ``extract`` (tokens and
candidate mentions with offsets) → ``resolve`` (disambiguation, confidence, the output frame).
"""
