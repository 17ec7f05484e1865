"""Quality: inspection plans, sampling, inspections, defects, NCR and SPC."""
