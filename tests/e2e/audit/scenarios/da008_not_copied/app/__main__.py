from lib.formatting import banner

print(banner("ready"))
