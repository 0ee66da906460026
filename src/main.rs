fn main() -> std::process::ExitCode {
    signin_pages::main()
}
