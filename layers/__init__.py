"""Map rendering: GeoDataFrames → folium layers and matplotlib figures. Never calls ``st.*``."""
