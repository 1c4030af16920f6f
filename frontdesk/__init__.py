"""frontdesk — 社区服务中心前台: the front desk of a community service center."""

__version__ = "0.1.0"
