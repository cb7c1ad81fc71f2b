"""monitor_aoj: from survey exports to the Monitor Aansluiting Onderwijs Jeugd report."""

__version__ = "0.1.0"
