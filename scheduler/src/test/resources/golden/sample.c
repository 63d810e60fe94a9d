#include <stdio.h>

/* A point. */
struct point {
    int x;
    int y;
};

typedef struct {
    char *name;
} user_t;

enum color { RED, GREEN };

struct point;

// Adds two ints.
int add(int a, int b) {
    return a + b;
}

static char *dup_name(const char *s) {
    return NULL;
}

int (*get_op(void))(int, int) {
    return add;
}
