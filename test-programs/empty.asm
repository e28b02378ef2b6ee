; The empty calm program: no code at all. Named *.<king>, it exits with
; status 42, the byte '*' the loader pushes from the file name.
