"""The domain, pure: records, named errors, core ports and access at the top; one subpackage per capability."""
