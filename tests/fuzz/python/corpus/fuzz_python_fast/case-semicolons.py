import a; import b; from c import d;
x = 1; import e
