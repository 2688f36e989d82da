"""The annual report: one self-contained Dutch HTML page with inline SVG charts, and its PDF through Chromium."""
