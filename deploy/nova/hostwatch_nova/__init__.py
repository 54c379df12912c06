"""hostwatch-nova: converges Nova's nova-compute services to hostwatch's host states."""
__version__ = "0.1.0"
