//! The `signin-pages` binary: the library's `main`, with the allocator that lets a render
//! be held to a memory ceiling.

/// Counts each thread's live bytes, so that a template's render can be held to a memory
/// ceiling (see `signin_pages::budget`).
#[global_allocator]
static ALLOC: signin_pages::budget::CountingAlloc = signin_pages::budget::CountingAlloc;

fn main() -> std::process::ExitCode {
    signin_pages::main()
}
