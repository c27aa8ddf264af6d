import pkg_resources

print(pkg_resources.get_distribution("requests").version)
