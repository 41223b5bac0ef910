#include <cstdio>

int main() {
    std::puts("volley");
    return 0;
}
