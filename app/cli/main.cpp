#include <cstdio>

int main() {
    std::puts("tlbvfi: engine not built yet");
    return 1;
}
